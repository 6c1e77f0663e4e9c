# enabled = false renders no job, and does not validate the rest: the value below is refused when
# the pack is enabled (tests/packs/prometheus/invalid/), so a job or that error here fails the case.
enabled          = false
service_provider = "kubernetes"
