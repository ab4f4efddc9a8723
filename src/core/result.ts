/**
 * "Worked, or here is why not", for parsing, session transitions and commands alike.
 * Callers branch on `kind`; `message` is for people and is never inspected by code.
 */
export interface Failure<K extends string = string> {
  ok: false;
  kind: K;
  message: string;
}

export type Result<T extends object = object, K extends string = string> = ({ ok: true } & T) | Failure<K>;

export const fail = <K extends string>(kind: K, message: string): Failure<K> => ({ ok: false, kind, message });

export const succeed = <T extends object>(value: T): { ok: true } & T => ({ ok: true, ...value });
