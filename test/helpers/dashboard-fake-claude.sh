#!/bin/sh
# Stand-in for the `claude` binary at the one boundary the dashboard test does not run for real:
# it announces a conversation through Fleetkeeper's REAL hook command, from inside the pane,
# with the JSON Claude Code sends (see ../shared/notes/claude-code-in-tests.md), then leaves a
# shell behind. `--resume ID` is what restore types; `--fk-start ID` seeds a binding.
case "$1" in
  --resume) source=resume ;;
  --fk-start) source=startup ;;
  *) echo "fake claude: expected --resume ID or --fk-start ID, got: $*" >&2; exit 2 ;;
esac
id="$2"
transcript=$(find "$CLAUDE_CONFIG_DIR/projects" -name "$id.jsonl" 2>/dev/null | head -n 1)
printf '{"session_id":"%s","transcript_path":"%s","cwd":"%s","hook_event_name":"SessionStart","source":"%s"}\n' \
  "$id" "$transcript" "$PWD" "$source" | "$FK_NODE" "$FK_CLI" hook session-start
echo "fake claude: $source $id"
