// The command line, the generated catalog and the result files most end-to-end tests use.
global using LieGG.Cli;
global using LieGG.Generated;
global using LieGG.Runtime.Results;
