using LieGG.Generated;

foreach (var experiment in ExperimentCatalog.All) Console.WriteLine($"{experiment.Name}  ({experiment.TypeName})");
