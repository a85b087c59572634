// The wrapper module that builds Gitea (stack/forge/build.sh). Since 1.27 Gitea's own go.mod says
// `module gitea.dev` and has replace lines, so `go install code.gitea.io/gitea@...` refuses; a module
// of ours that requires it builds it. build.sh copies this file, Gitea's main.go and its go.sum into
// a scratch folder and runs `go mod tidy` there: nothing of Gitea's is kept in this repository.
module commandcenter.local/stack/forge

go 1.26.4

require gitea.dev v1.27.3

replace gitea.dev => code.gitea.io/gitea v1.27.3

// Gitea's own replace lines (a dependency's replaces are ignored); build.sh checks they still match.
replace (
	github.com/Azure/azure-sdk-for-go/sdk/azcore => github.com/Azure/azure-sdk-for-go/sdk/azcore v1.19.0
	github.com/Azure/azure-sdk-for-go/sdk/storage/azblob => github.com/Azure/azure-sdk-for-go/sdk/storage/azblob v1.6.2
	github.com/microsoft/go-mssqldb => github.com/microsoft/go-mssqldb v1.9.7
	go.yaml.in/yaml/v4 => go.yaml.in/yaml/v4 v4.0.0-rc.3
)
