/** kubectl annotate — see metadata-edit.ts for the shared steps. */
import type { Verb } from './common';
import { kubectlHelp } from './help/format';
import { METADATA_FLAGS, runMetadataEdit } from './metadata-edit';

export const annotate: Verb = {
  name: 'annotate',
  help: kubectlHelp({
    long: `Update the annotations on one or more resources.

 All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are
key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and
system extensions may use annotations to store their own data.

 Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is
specified and does not match the current resource version on the server the command will fail.

Use "kubectl api-resources" for a complete list of supported resources.`,
    examples: `  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
  # If the same annotation is set multiple times, only the last value will be applied
  kubectl annotate pods foo description='my frontend'

  # Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', overwriting any
existing value
  kubectl annotate --overwrite pods foo description='my frontend running nginx'

  # Update pod 'foo' by removing an annotation named 'description' if it exists
  # Does not require the --overwrite flag
  kubectl annotate pods foo description-`,
    options: [
      ['--all=false', 'Select all resources, in the namespace of the specified resource types.'],
      ['--list=false', 'If true, display the annotations for a given resource.'],
      ['--overwrite=false', 'If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing\n\tannotations.'],
    ],
    usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  }),
  flags: METADATA_FLAGS,
  run: (p, ctx) => runMetadataEdit({ verb: 'annotate', field: 'annotations' }, p, ctx),
};
