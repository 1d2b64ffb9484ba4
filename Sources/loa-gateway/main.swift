print("loa-gateway: not yet")
