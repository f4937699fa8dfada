// The hook journal and Claude's own registry, reconciled per pane at every save (pure).
// Both agree → bound as before; only the registry knows the pane → adopted; they disagree →
// the live process wins for this snapshot and the drift is a problem naming both ids; no usable
// registry file → the hooks alone, and the second source is reported unavailable.
import type { Binding, Problem, RegistryVerdict, ServerInstance } from '../base/types.js';
import type { RegistryRead } from './session-registry.js';

export interface ReconcileInput {
  /** "session:window.pane (role R)", for messages. */
  where: string;
  /** The journal's binding for the pane's role (null: the hooks never saw it). */
  hook: Binding | null;
  registry: RegistryRead;
  /** The transcript of the registry's conversation (found on disk, else where Claude keeps it). */
  registryTranscript: string;
  paneId: string;
  instance: ServerInstance;
  now: string;
  /** The live process, for the synthetic event id. */
  pid: number;
}

export interface Reconciled {
  binding: Binding | null;
  verdict: RegistryVerdict;
  registrySessionId?: string;
  note?: string;
  problems: Problem[];
}

function fromRegistry(input: ReconcileInput, sessionId: string, cwd: string): Binding {
  return {
    sessionId,
    transcriptPath: input.registryTranscript,
    cwd,
    source: 'claude-registry',
    boundAt: input.now,
    eventId: `claude-registry:${input.pid}`,
    paneId: input.paneId,
    instance: { ...input.instance },
  };
}

export function reconcile(input: ReconcileInput): Reconciled {
  const { hook, registry, where } = input;
  if (registry.kind !== 'ok') {
    return {
      binding: hook,
      verdict: 'unavailable',
      note: registry.why,
      problems: [
        {
          code: 'claude-registry-unavailable',
          message: `${where}: Claude's session registry is unavailable (${registry.why}); the hooks alone decide`,
        },
      ],
    };
  }
  const { sessionId, cwd } = registry.entry;
  if (hook === null) {
    return {
      binding: fromRegistry(input, sessionId, cwd),
      verdict: 'adopted',
      registrySessionId: sessionId,
      note: `adopted from Claude's registry (no hook record)`,
      problems: [
        {
          code: 'claude-adopted',
          message: `${where}: adopted conversation ${sessionId} from Claude's own registry (its hooks never reported)`,
        },
      ],
    };
  }
  if (hook.sessionId !== sessionId) {
    return {
      binding: fromRegistry(input, sessionId, cwd),
      verdict: 'drift',
      registrySessionId: sessionId,
      note: `hooks said ${hook.sessionId}, the live Claude runs ${sessionId}`,
      problems: [
        {
          code: 'claude-drift',
          message: `${where}: the hooks recorded ${hook.sessionId} but the live Claude runs ${sessionId}; keeping ${sessionId}`,
        },
      ],
    };
  }
  // Same conversation. A live process means it did not end, whatever the journal last heard.
  const binding: Binding = { ...hook };
  delete binding.endedAt;
  delete binding.endReason;
  const problems: Problem[] = [];
  let note: string | undefined;
  if (hook.cwd !== cwd) {
    binding.cwd = cwd;
    note = `moved from ${hook.cwd} to ${cwd}`;
    problems.push({
      code: 'claude-moved',
      message: `${where}: conversation ${sessionId} moved from ${hook.cwd} to ${cwd}; it resumes there`,
    });
  }
  const out: Reconciled = { binding, verdict: 'agree', registrySessionId: sessionId, problems };
  if (note !== undefined) out.note = note;
  return out;
}
