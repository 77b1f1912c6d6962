using LieGG.Cli;
using LieGG.Generated;

return LieGGCommandLine.Run(args, ExperimentCatalog.All, ExperimentCatalog.Studies);
