// Exec-wrapper backends: the recipes, tool discovery, the wrapper writer and the store commands.
export { recipes, recipeById } from './recipes';
export type { Recipe, RecipeId, RecipeOption, WrapperErrorCode, LoginSpec } from './recipes';
export { findTools, findExecutable, findNode } from './findTools';
export type { FoundTools, ToolPaths } from './findTools';
export { writeWrapper, renderWrapper, WrapperError, checkedOptions } from './writeWrapper';
export type { WriteWrapperInput, WrittenWrapper, WrapperProvider, WrapperErrorReason } from './writeWrapper';
export { storeArgv, backendName, loginArgv } from './storeArgv';
export type { StoreCommand } from './storeArgv';
export { describeExecProvider } from './describeProvider';
export type { ProviderBackend } from './describeProvider';
