"""演示数据: `zhifa demo` loads a demonstration data set through the services."""
