/** Connection URLs as they may be shown: the password never appears in a log or an error. */

/** The URL with its password replaced by `***` (a string that is no URL comes back as it is). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return url.replace(/(:\/\/[^:/@]*:)[^@]*@/, '$1***@');
  }
}

/** `text` with every occurrence of the secrets replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
}

/** The secrets of a connection URL: its password, raw and decoded, and password parameters. */
export function secretsOf(url: string): string[] {
  try {
    const u = new URL(url);
    const out = [u.password, decodeURIComponent(u.password)];
    for (const [key, value] of u.searchParams) if (/pass/i.test(key)) out.push(value);
    return out.filter((s) => s.length > 0);
  } catch {
    return [];
  }
}
