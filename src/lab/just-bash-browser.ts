/**
 * just-bash for the lab worker's bundle (aliased from `just-bash` by labWorkerBrowser in
 * astro.config.mjs): its ES module build, whose commands load on first use, with the Node
 * built-ins it imports replaced by stand-ins that fail if ever called (see the plugin).
 * Node (the CLI, tests) imports `just-bash` directly and never sees this file.
 */
export * from 'just-bash';
