print("loactl")
