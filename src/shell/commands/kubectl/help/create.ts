import { kubectlHelp } from './format';

export const CREATE_HELP = kubectlHelp({
  long: `Create a resource from a file or from stdin.

 JSON and YAML formats are accepted.

Available Commands:
  clusterrole           Create a cluster role
  clusterrolebinding    Create a cluster role binding for a particular cluster role
  configmap             Create a config map from a local file, directory or literal value
  cronjob               Create a cron job with the specified name
  deployment            Create a deployment with the specified name
  ingress               Create an ingress with the specified name
  job                   Create a job with the specified name
  namespace             Create a namespace with the specified name
  poddisruptionbudget   Create a pod disruption budget with the specified name
  priorityclass         Create a priority class with the specified name
  quota                 Create a quota with the specified name
  role                  Create a role with single rule
  rolebinding           Create a role binding for a particular role or cluster role
  secret                Create a secret using a specified subcommand
  service               Create a service using a specified subcommand
  serviceaccount        Create a service account with the specified name
  token                 Request a service account token`,
  examples: `  # Create a pod using the data in pod.json
  kubectl create -f ./pod.json

  # Create a pod based on the JSON passed into stdin
  cat pod.json | kubectl create -f -

  # Edit the data in registry.yaml in JSON then create the resource using the edited data
  kubectl create -f registry.yaml --edit -o json`,
  options: [
    ["--dry-run='none'", 'Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without\n\tsending it. If server strategy, submit server-side request without persisting the resource.'],
    ['-f, --filename=[]', 'Filename, directory, or URL to files to use to create the resource'],
    ["-o, --output=''", 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath,\n\tjsonpath-as-json, jsonpath-file).'],
    ['-R, --recursive=false', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests\n\torganized within the same directory.'],
  ],
  usage: 'kubectl create -f FILENAME [options]',
});
