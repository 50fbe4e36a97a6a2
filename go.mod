module github.com/asksim/asksim

go 1.26.0

require (
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/google/uuid v1.6.0
)

require (
	github.com/spf13/pflag v1.0.10
	golang.org/x/net v0.62.0
)
