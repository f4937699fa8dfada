import { shellQuote } from '../../common/base/shell-quote.js';

// The completion scripts know nothing themselves: at every TAB they ask the CLI
// (`__complete`), which answers from the command table, the snapshot store, the registry and
// the tmux server. `launcher` is the absolute command (node + bin/fleetkeeper.js) so the
// scripts work whether or not `fleetkeeper` is on PATH.

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];
const FILE_MARKER = '::file';

export function completionScript(shell: Shell, launcher: readonly string[]): string {
  switch (shell) {
    case 'bash':
      return bash(launcher.map(shellQuote).join(' '));
    case 'zsh':
      return zsh(launcher.map(shellQuote).join(' '));
    case 'fish':
      return fish(launcher.map(fishQuote).join(' '));
  }
}

function fishQuote(arg: string): string {
  return `'${arg.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function bash(cmd: string): string {
  return `# fleetkeeper completion for bash: eval "$(fleetkeeper completion bash)"
_fleetkeeper() {
  # Split the line ourselves: COMP_WORDS breaks at ':' and '=', which pane targets contain.
  local line=\${COMP_LINE:0:COMP_POINT} words cur out
  read -ra words <<<"$line"
  [[ $line == *[[:space:]] ]] && words+=('')
  cur=\${words[\${#words[@]}-1]}
  out=$(${cmd} __complete "\${words[@]:1}" 2>/dev/null) || return 0
  if [[ $out == '${FILE_MARKER}' ]]; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
  fi
  mapfile -t COMPREPLY <<<"$out"
  [[ -z $out ]] && COMPREPLY=()
  # bash replaces only the part after the last ':' of the word.
  if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
    local i strip=\${cur%"\${cur##*:}"}
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]=\${COMPREPLY[i]#"$strip"}; done
  fi
  return 0
}
complete -o nosort -F _fleetkeeper fleetkeeper 2>/dev/null || complete -F _fleetkeeper fleetkeeper
`;
}

function zsh(cmd: string): string {
  return `#compdef fleetkeeper
# fleetkeeper completion for zsh: source <(fleetkeeper completion zsh) after compinit
_fleetkeeper() {
  local out
  local -a cands
  out=$(${cmd} __complete "\${(@)words[2,CURRENT]}" 2>/dev/null) || return 1
  if [[ $out == '${FILE_MARKER}' ]]; then
    _files
    return
  fi
  cands=("\${(@f)out}")
  (( \${#cands} )) && [[ -n $out ]] && compadd -Q -- "\${cands[@]}"
}
if (( $+functions[compdef] )); then
  compdef _fleetkeeper fleetkeeper
fi
`;
}

function fish(cmd: string): string {
  return `# fleetkeeper completion for fish: fleetkeeper completion fish | source
function __fleetkeeper_complete
    set -l words (commandline -opc) (commandline -ct)
    set -l out (${cmd} __complete $words[2..-1] 2>/dev/null)
    if test "$out" = '${FILE_MARKER}'
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $out
    end
end
complete -c fleetkeeper -f -a '(__fleetkeeper_complete)'
`;
}
