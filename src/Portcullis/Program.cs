using Portcullis.Cli;

return await PortcullisCommand.RunAsync(args);
