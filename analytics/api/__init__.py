"""The analytics API: operators' reads at /api/analytics/ and a seller's at /api/seller/analytics/."""
