import os

os.makedirs("/work/notebook-run", exist_ok=True)
os.mkfifo("/work/notebook-run/executed.ipynb")
