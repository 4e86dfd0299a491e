/** Argument types of the IOS grammar (spec §2, C6 limits), each with its IOS help label. */
import type { ArgCheck, ArgType } from './grammar.js';
import type { Token } from '../../ios/config/tokens.js';

const no: ArgCheck = { ok: false };
const yes = (value: string | number): ArgCheck => ({ ok: true, value });

/** One unquoted word up to `max` chars (`WORD`). */
export function word(max: number, label = 'WORD'): ArgType {
  return { label, check: (t: Token) => (!t.quoted && t.text.length > 0 && t.text.length <= max ? yes(t.text) : no) };
}

/** A word or a double-quoted string up to `max` chars (`LINE`/`WORD`). */
export function text(max: number, label = 'LINE'): ArgType {
  return { label, check: (t: Token) => (t.text.length > 0 && t.text.length <= max ? yes(t.text) : no) };
}

/** An integer in a range, shown as `<min-max>`. */
export function int(min: number, max: number): ArgType {
  return {
    label: `<${min}-${max}>`,
    check: (t: Token) => {
      if (t.quoted || !/^\d+$/.test(t.text)) return no;
      const n = Number(t.text);
      return n >= min && n <= max ? yes(n) : no;
    },
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** True for an IPv6 address in any of its textual forms (no zone). */
export function isIpv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const parts = [...groups(halves[0] ?? ''), ...groups(halves[1] ?? '')];
  let count = 0;
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1 && isIpv4(p)) count += 2;
    else if (/^[0-9a-fA-F]{1,4}$/.test(p)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/** True for a DNS host name (labels of letters, digits and hyphens). */
export function isHostname(value: string): boolean {
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value);
}

/** `A.B.C.D`. */
export const ipv4: ArgType = { label: 'A.B.C.D', check: (t) => (isIpv4(t.text) ? yes(t.text) : no) };
/** `X:X:X:X::X`. */
export const ipv6: ArgType = { label: 'X:X:X:X::X', check: (t) => (isIpv6(t.text) ? yes(t.text) : no) };
/** A host name up to `max` chars (`WORD`); IOS also accepts it quoted. */
export function hostname(max: number): ArgType {
  return { label: 'WORD', check: (t) => (t.text.length <= max && isHostname(t.text) ? yes(t.text) : no) };
}

/** An email address without spaces, up to `max` chars (C11). */
export function email(max: number): ArgType {
  return {
    label: 'WORD',
    check: (t) => (t.text.length <= max && /^[^\s@"]+@[^\s@"]+$/.test(t.text) ? yes(t.text) : no),
  };
}

/** An http(s) URL (`WORD`). */
export const url: ArgType = {
  label: 'WORD',
  check: (t) => {
    if (!/^https?:\/\/\S+$/i.test(t.text)) return no;
    try {
      new URL(t.text);
      return yes(t.text);
    } catch {
      return no;
    }
  },
};

/** `+` then digits and `-` (spaces allowed when quoted), up to `max` chars (C12). */
export function phone(max: number): ArgType {
  return { label: 'WORD', check: (t) => (t.text.length <= max && /^\+[0-9][0-9\- ]*$/.test(t.text) && (t.quoted || !t.text.includes(' ')) ? yes(t.text) : no) };
}

/** 24-hour `hh:mm`; the value is minutes after midnight. */
export const time: ArgType = {
  label: 'hh:mm',
  check: (t) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(t.text);
    if (t.quoted || !m) return no;
    const hh = Number(m[1]);
    const mm = Number(m[2]);
    return hh <= 23 && mm <= 59 ? yes(hh * 60 + mm) : no;
  },
};

/** An IOS host name for `hostname NAME`: ≤ 63 chars, starts with a letter, ends with a letter or digit. */
export const deviceHostname: ArgType = {
  label: 'WORD',
  check: (t) => (!t.quoted && /^[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(t.text) ? yes(t.text) : no),
};

/** A regular expression (quoted if it has spaces) that compiles and cannot backtrack exponentially. */
export function regex(max: number, isSafe: (source: string) => boolean): ArgType {
  return {
    label: 'LINE',
    check: (t) => {
      if (t.text.length === 0 || t.text.length > max || !isSafe(t.text)) return no;
      try {
        new RegExp(t.text);
        return yes(t.text);
      } catch {
        return no;
      }
    },
  };
}
