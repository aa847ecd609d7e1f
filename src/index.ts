export * as mixins from './mixins';
export * from './facades';
export * from './http';
export * from './websocket';
export * from './aspects';
export * from './project';
