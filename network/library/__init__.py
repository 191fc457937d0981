"""The resource library: training materials and practical resources, shared across
trusted organizations."""
