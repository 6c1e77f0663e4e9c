# expect: datasource.uid must not be empty
datasource = {
  uid = ""
}
