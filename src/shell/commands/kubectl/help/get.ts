import { kubectlHelp } from './format';

export const GET_HELP = kubectlHelp({
  long: `Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list using a label
selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current
namespace if you don't specify any namespace.

 By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter
the attributes of the fetched resources.

Use "kubectl api-resources" for a complete list of supported resources.`,
  examples: `  # List all pods in ps output format
  kubectl get pods

  # List all pods in ps output format with more information (such as node name)
  kubectl get pods -o wide

  # List a single replication controller with specified NAME in ps output format
  kubectl get replicationcontroller web

  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  kubectl get deployments.v1.apps -o json

  # List a single pod in JSON output format
  kubectl get -o json pod web-pod-13je7

  # Return only the phase value of the specified pod
  kubectl get -o template pod/web-pod-13je7 --template={{.status.phase}}

  # List resource information in custom columns
  kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image

  # List all replication controllers and services together in ps output format
  kubectl get rc,services

  # List one or more resources by their type and names
  kubectl get rc/web service/frontend pods/web-pod-13je7`,
  options: [
    ['-A, --all-namespaces=false', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even\n\tif specified with --namespace.'],
    ["--field-selector=''", "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector\n\tkey1=value1,key2=value2). The server only supports a limited number of field queries per type."],
    ['--ignore-not-found=false', 'If set to true, suppresses NotFound error for specific objects that do not exist. Using this flag with\n\tcommands that query for collections of resources has no effect when no resources are found.'],
    ['-L, --label-columns=[]', 'Accepts a comma separated list of labels that are going to be presented as columns. Names are\n\tcase-sensitive. You can also use multiple flag options like -L label1 -L label2...'],
    ['--no-headers=false', 'When using the default or custom-column output format, don\'t print headers (default print headers).'],
    ["-o, --output=''", 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath,\n\tjsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide). See custom columns\n\t[https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template\n\t[http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template\n\t[https://kubernetes.io/docs/reference/kubectl/jsonpath/].'],
    ["-l, --selector=''", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l\n\tkey1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label\n\tconstraints."],
    ['--show-kind=false', 'If present, list the resource type for the requested object(s).'],
    ['--show-labels=false', 'When printing, show all labels as the last column (default hide labels column)'],
    ["--sort-by=''", "If non-empty, sort list types using this field specification.  The field specification is expressed as a\n\tJSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath\n\texpression must be an integer or a string."],
  ],
  usage:
    'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
});
