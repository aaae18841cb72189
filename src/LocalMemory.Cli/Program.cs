using LocalMemory.Cli.Commands;

return await LocalmemCommand.Create().Parse(args).InvokeAsync();
