# The prometheus pack's image for the mesh lane: the static upstream Prometheus of
# tools/build-prometheus.sh (prom/prometheus cannot be pulled here), run as nobody, with the same
# entrypoint as prom/prometheus (the pack passes only flags).
FROM scratch
COPY prometheus /bin/prometheus
USER 65534:65534
ENTRYPOINT ["/bin/prometheus"]
