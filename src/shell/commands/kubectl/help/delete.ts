import { kubectlHelp } from './format';

export const DELETE_HELP = kubectlHelp({
  long: `Delete resources by file names, stdin, resources and names, or by resources and label selector.

 JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or
resources and label selector.

 Some resources, such as pods, support graceful deletion. These resources define a default period before they are
forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to
set a grace-period of 1. Because these resources often represent entities in the cluster, deletion may not be
acknowledged immediately. If the node hosting a pod is down or cannot reach the API server, termination may take
significantly longer than the grace period. To force delete a resource, you must specify the --force flag.`,
  examples: `  # Delete a pod using the type and name specified in pod.json
  kubectl delete -f ./pod.json

  # Delete pods and services with same names "baz" and "foo"
  kubectl delete pod,service baz foo

  # Delete pods and services with label name=myLabel
  kubectl delete pods,services -l name=myLabel

  # Delete a pod with minimal delay
  kubectl delete pod foo --now

  # Force delete a pod on a dead node
  kubectl delete pod foo --force

  # Delete all pods
  kubectl delete pods --all`,
  options: [
    ['--all=false', 'Delete all resources, in the namespace of the specified resource types.'],
    ["--cascade='background'", 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents\n\t(e.g. Pods created by a ReplicationController). Defaults to background.'],
    ['-f, --filename=[]', 'containing the resource to delete.'],
    ['--force=false', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of\n\tsome resources may result in inconsistency or data loss and requires confirmation.'],
    ['--grace-period=-1', 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for\n\timmediate shutdown. Can only be set to 0 when --force is true (force deletion).'],
    ['--ignore-not-found=false', 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.'],
    ['--now=false', 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).'],
    ["-l, --selector=''", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l\n\tkey1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label\n\tconstraints."],
    ['--wait=true', 'If true, wait for resources to be gone before returning. This waits for finalizers.'],
  ],
  usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
});
