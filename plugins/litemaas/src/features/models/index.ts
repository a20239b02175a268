export { ModelsPage } from './ModelsPage';
export { ModelDetailsPage } from './ModelDetailsPage';
export { ModelKeysList } from './ModelKeysList';
export { SubscribeButton } from './subscribe/SubscribeButton';
export { useModelLink, modelSubPath } from './paths';
export { modelsMessages } from './messages';
