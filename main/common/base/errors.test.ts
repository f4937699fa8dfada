import { describe, expect, it } from 'vitest';
import {
  CorruptFileError,
  errorCode,
  FALLBACK_ERROR_CODE,
  FleetkeeperError,
  InvalidInputError,
  TmuxError,
  WriteFailedError,
  type ErrorCode,
} from './errors.js';

describe('errors', () => {
  it('keep the error they wrap as `cause`', () => {
    const io = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    const e = new CorruptFileError('/s/x.json', 'unreadable: EIO', { cause: io });
    expect(e.cause).toBe(io);
    expect(e.code).toBe('corrupt-file');
    expect(e.message).toBe('/s/x.json: unreadable: EIO');
    expect(new WriteFailedError('/s/y', 'fsync', { cause: io }).cause).toBe(io);
    expect(new TmuxError('gone', 'no-server', { cause: io })).toMatchObject({ code: 'tmux-no-server', cause: io });
    expect(new FleetkeeperError('x', 'save-failed', { cause: io }).cause).toBe(io);
    expect(new InvalidInputError('bad', { cause: 'why' }).cause).toBe('why');
    // No cause given: none invented.
    expect('cause' in new InvalidInputError('bad')).toBe(false);
  });

  it('name the subclass', () => {
    expect(new TmuxError('t', 'timeout').name).toBe('TmuxError');
  });

  it('one fallback code for anything that is not ours', () => {
    expect(errorCode(new Error('bug'))).toBe(FALLBACK_ERROR_CODE);
    expect(errorCode('a string')).toBe('internal');
    expect(errorCode(new TmuxError('t', 'missing'))).toBe('tmux-missing');
  });

  it('codes are a closed set (checked by the compiler)', () => {
    // @ts-expect-error a code made up inline does not compile
    const made: ErrorCode = 'oops';
    expect(made).toBe('oops');
  });
});
