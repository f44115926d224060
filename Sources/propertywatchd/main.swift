print("propertywatchd")
