print("loa-controller: not yet")
