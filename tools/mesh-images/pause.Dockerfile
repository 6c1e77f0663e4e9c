# The infra ("pause") container that holds the network namespace of a bridge-mode group under
# Nomad's docker driver (its infra_image). Nomad's default, registry.k8s.io/pause, cannot be pulled
# here: this is Debian's static catatonit (the pause program podman itself uses) in pause mode.
FROM scratch
COPY catatonit /catatonit
USER 65534:65534
ENTRYPOINT ["/catatonit", "-P"]
