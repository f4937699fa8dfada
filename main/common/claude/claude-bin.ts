// FLEETKEEPER_CLAUDE_BIN is typed into every resumed pane. A terminal acts on control characters
// before the shell sees any quote (^U erases the line, CR runs it), so a value holding one is
// refused where it is read, with the one-line reason, instead of ever reaching a pane.
import { InvalidInputError } from '../base/errors.js';
import { controlCharIn } from '../base/shell-quote.js';

export const CLAUDE_BIN_VARIABLE = 'FLEETKEEPER_CLAUDE_BIN';
export const DEFAULT_CLAUDE_BIN = 'claude';

/** The executable restore types: the variable when set (and typeable), else `claude`. */
export function claudeBinFrom(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_CLAUDE_BIN;
  const c = controlCharIn(value);
  if (c !== null)
    throw new InvalidInputError(
      `${CLAUDE_BIN_VARIABLE} contains a control character (${c}): it would be typed into panes; set it to a plain path`,
    );
  return value;
}
