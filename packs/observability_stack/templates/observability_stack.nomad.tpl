[[/* No job of its own: the components are rendered by their packs (deps/). This only refuses
   an inconsistent stack before anything is deployed, and renders to nothing. */]]
[[ template "observability_stack.init" (dict "root" .) ]]
