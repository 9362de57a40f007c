/** kubectl label — see metadata-edit.ts for the shared steps. */
import type { Verb } from './common';
import { kubectlHelp } from './help/format';
import { METADATA_FLAGS, runMetadataEdit } from './metadata-edit';

export const label: Verb = {
  name: 'label',
  help: kubectlHelp({
    long: `Update the labels on a resource.

  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and
underscores, up to 63 characters each.
  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will
result in an error.
  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing
resource-version will be used.`,
    examples: `  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  kubectl label pods foo unhealthy=true

  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
  kubectl label --overwrite pods foo status=unhealthy

  # Update all pods in the namespace
  kubectl label pods --all status=unhealthy

  # Update pod 'foo' by removing a label named 'bar' if it exists
  # Does not require the --overwrite flag
  kubectl label pods foo bar-`,
    options: [
      ['--all=false', 'Select all resources, in the namespace of the specified resource types'],
      ['--list=false', 'If true, display the labels for a given resource.'],
      ['--overwrite=false', 'If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.'],
      ["-l, --selector=''", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l\n\tkey1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label\n\tconstraints."],
    ],
    usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  }),
  flags: METADATA_FLAGS,
  run: (p, ctx) => runMetadataEdit({ verb: 'label', field: 'labels' }, p, ctx),
};
