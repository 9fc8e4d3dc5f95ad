import os
print("rows:", sum(1 for _ in open("/data/sample.csv")) - 1)
open("/checkpoints/done.txt", "w").write("ok\n")
