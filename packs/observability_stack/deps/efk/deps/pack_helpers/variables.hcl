# pack_helpers has no variables: nomad-pack gives a dependency only its own variables, so every
# helper takes what it needs as an argument (a dict), never through `var`.
