# expect: kibana.static_port publishes Kibana outside the mesh and is only for Connect off
kibana = {
  static_port = 5601
}
