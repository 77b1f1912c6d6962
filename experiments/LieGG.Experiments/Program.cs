using LieGG.Cli;
using LieGG.Generated;

return LieGGCommandLine.RunAndExit(args, ExperimentCatalog.All, ExperimentCatalog.Studies);
