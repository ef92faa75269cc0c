module ziti-backup/tests/agevectors

go 1.25.0

require c2sp.org/CCTV/age v0.0.0-20251208015420-e9274a7bdbfd
