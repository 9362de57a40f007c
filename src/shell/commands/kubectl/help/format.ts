/**
 * kubectl's help layout (cobra template as kubectl customises it): long text, Examples,
 * Options (`    -o, --output='':` then the tab-indented description), Usage, and the
 * "kubectl options" footer.
 */
export interface HelpSpec {
  long: string;
  examples: string;
  /** [flag as printed, e.g. `-o, --output=''`, description]. */
  options: [string, string][];
  usage: string;
}

export function kubectlHelp(h: HelpSpec): string {
  const opts = h.options.map(([flag, desc]) => `    ${flag}:\n\t${desc}\n`).join('\n');
  return (
    `${h.long.trim()}\n\n` +
    (h.examples.trim() ? `Examples:\n${h.examples.replace(/^\n+|\n+$/g, '')}\n\n` : '') +
    (opts ? `Options:\n${opts}\n` : '') +
    `Usage:\n  ${h.usage}\n\n` +
    'Use "kubectl options" for a list of global command-line options (applies to all commands).\n'
  );
}
