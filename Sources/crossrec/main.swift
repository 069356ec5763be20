print("crossrec")
