/**
 * The ChatGPT page where a user installs an app, as upstream links it: `https://chatgpt.com/apps/{slug}/{id}`, the
 * slug being the name lowercased with every character other than an ASCII letter or digit turned into `-`, dashes
 * trimmed from both ends (`app` when nothing is left). Always chatgpt.com, whatever backend the client talks to.
 */
export function appInstallUrl(name: string, connectorId: string): string {
  return `https://chatgpt.com/apps/${appSlug(name)}/${connectorId}`;
}

function appSlug(name: string): string {
  // Per code point (an emoji is one dash), and only ASCII is lowercased (`İ` is a dash, not `i̇`).
  const slug = name
    .replace(/[^A-Za-z0-9]/gu, '-')
    .toLowerCase()
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'app' : slug;
}
