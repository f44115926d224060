print("pw-sim")
