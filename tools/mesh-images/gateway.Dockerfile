# The krakend pack's gateway image for the mesh lane: the Lura-based, KrakenD-compatible gateway of
# tools/build-krakend.sh (a static Go binary; KrakenD CE cannot be had here), run as nobody. Same
# command line as the krakend image: the pack passes `run -c <krakend.json>`.
FROM scratch
COPY krakend /usr/bin/krakend
USER 65534:65534
ENTRYPOINT ["/usr/bin/krakend"]
