"""Archive: records files (hồ sơ) with their retention, the registers' exports, transfer packages, bulk import."""
