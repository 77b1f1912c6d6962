// The runtime layers most tests build specs and results from.
global using LieGG.Dsl;
global using LieGG.Runtime.Experiments;
global using LieGG.Runtime.Results;
global using LieGG.Runtime.Symmetry;
global using LieGG.Runtime.Training;
