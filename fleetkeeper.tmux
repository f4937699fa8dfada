#!/usr/bin/env bash
# Fleetkeeper's tmux plugin. Install with TPM (set -g @plugin '…/fleetkeeper') or plainly:
#   run-shell /path/to/fleetkeeper/fleetkeeper.tmux
# It appends the freshness badge to status-right, binds prefix + C-s (save) and prefix + C-r
# (restore preview in a popup, with confirm), and starts the daemon for this server when
# neither the app nor a daemon already saves the state dir.
#
# Options (set before the plugin runs):
#   @fleetkeeper-status       off: leave status-right alone
#   @fleetkeeper-save-key     key for save (default C-s)
#   @fleetkeeper-restore-key  key for the restore preview (default C-r)
#   @fleetkeeper-daemon       off: never start a daemon
#   @fleetkeeper-node         the node binary (default: node on tmux's PATH)
#
# The same file is also the helper its key bindings run (`fleetkeeper.tmux save|restore-popup`).

set -u

PLUGIN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
LAUNCHER="$PLUGIN_DIR/bin/fleetkeeper.js"
SELF="$PLUGIN_DIR/fleetkeeper.tmux"

option() {
	local value
	value="$(tmux show-option -gqv "$1")"
	printf '%s' "${value:-$2}"
}

# POSIX single quotes: every path below is typed into a shell command line by tmux.
quote() {
	printf "'%s'" "${1//\'/\'\\\'\'}"
}

# A message for display-message: tmux would expand '#' as a format.
message() {
	tmux display-message "fleetkeeper: ${1//#/##}"
}

node_bin() {
	local node
	node="$(option @fleetkeeper-node "")"
	[ -n "$node" ] || node="$(command -v node || true)"
	printf '%s' "$node"
}

# The server this plugin was loaded into: everything it starts acts on this one only.
socket_path() {
	tmux display-message -p '#{socket_path}'
}

fk() {
	"$(node_bin)" "$LAUNCHER" "$@" --socket "$(socket_path)"
}

do_save() {
	local out
	if out="$(fk save 2>&1)"; then message "$out"; else message "save FAILED: ${out##*: }"; fi
}

do_restore_popup() {
	# Runs inside the popup: the plan first, and nothing changes unless the user says yes.
	local answer
	if ! fk restore --dry-run; then
		printf '\nNothing to restore. Press a key to close.'
		read -r -n 1 _
		return 0
	fi
	printf '\nRestore this snapshot into this tmux server? Sessions that exist are left alone. [y/N] '
	read -r -n 1 answer
	printf '\n'
	if [ "$answer" = y ] || [ "$answer" = Y ]; then
		fk restore
		printf '\nDone. Press a key to close.'
		read -r -n 1 _
	fi
}

install() {
	local node
	node="$(node_bin)"
	if [ -z "$node" ] || [ ! -f "$LAUNCHER" ]; then
		message "not installed: node (${node:-not found}) or $LAUNCHER missing; set @fleetkeeper-node or run npm install in $PLUGIN_DIR"
		return 0
	fi
	local sock cmd
	sock="$(socket_path)"
	cmd="$(quote "$node") $(quote "$LAUNCHER")"

	if [ "$(option @fleetkeeper-status on)" != off ]; then
		local right inner
		right="$(tmux show-option -gqv status-right)"
		inner="$cmd status --tmux --socket $(quote "$sock")"
		# '#' in a path would be read as a format inside status-right: doubled, it is one '#'.
		inner="${inner//#/##}"
		case "$right" in
		*"$LAUNCHER"*) ;; # already there (the plugin was sourced again)
		*)
			tmux set-option -ga status-right " #($inner)"
			# Room for the badge ("FK STALE 12h30m" at most) beyond what was there.
			local len
			len="$(tmux show-option -gqv status-right-length)"
			tmux set-option -g status-right-length "$((${len:-40} + 16))"
			;;
		esac
	fi

	local save_key restore_key
	save_key="$(option @fleetkeeper-save-key C-s)"
	restore_key="$(option @fleetkeeper-restore-key C-r)"
	tmux bind-key "$save_key" run-shell -b "$(quote "$SELF") save"
	tmux bind-key "$restore_key" display-popup -E -w 90% -h 80% -T ' fleetkeeper restore ' "$(quote "$SELF") restore-popup"

	if [ "$(option @fleetkeeper-daemon on)" != off ]; then
		# --if-idle: exits at once when the app or another daemon already saves this state dir.
		if command -v setsid >/dev/null; then
			setsid "$node" "$LAUNCHER" daemon --if-idle --socket "$sock" </dev/null >/dev/null 2>&1 &
		else
			nohup "$node" "$LAUNCHER" daemon --if-idle --socket "$sock" </dev/null >/dev/null 2>&1 &
		fi
	fi
}

case "${1:-}" in
save) do_save ;;
restore-popup) do_restore_popup ;;
*) install ;;
esac
