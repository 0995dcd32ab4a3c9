"""The central data warehouse (DESIGN.md §3); built in the warehouse issue."""
