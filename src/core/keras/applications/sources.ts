/**
 * `keras.applications` models, written as Python that the reader's own evaluator runs when a file
 * calls them: the layer structure and names of Keras's builders (keras/src/applications), so the
 * parameter counts are Keras's. One file per family; written for Model Lens (not copied); weights
 * are not involved.
 */
import { COMMON } from './common';
import { DENSENET } from './densenet';
import { EFFICIENTNET } from './efficientnet';
import { INCEPTION } from './inception';
import { MOBILENET } from './mobilenet';
import { NASNET } from './nasnet';
import { RESNET } from './resnet';
import { VGG } from './vgg';
import { XCEPTION } from './xception';

/** The Python module of all builders. */
export const APPLICATIONS_SOURCE = [COMMON, VGG, RESNET, MOBILENET, XCEPTION, EFFICIENTNET, DENSENET, INCEPTION, NASNET].join('\n');

/** The builders a file may call as keras.applications.<name> (or from its submodules). */
export const APPLICATIONS = [
  'VGG16', 'VGG19',
  'ResNet50', 'ResNet101', 'ResNet152', 'ResNet50V2', 'ResNet101V2', 'ResNet152V2',
  'MobileNet', 'MobileNetV2', 'MobileNetV3Small', 'MobileNetV3Large',
  'Xception', 'InceptionV3',
  'EfficientNetB0', 'EfficientNetB1', 'EfficientNetB2', 'EfficientNetB3', 'EfficientNetB4', 'EfficientNetB5', 'EfficientNetB6', 'EfficientNetB7',
  'DenseNet121', 'DenseNet169', 'DenseNet201',
  'NASNetMobile', 'NASNetLarge',
] as const;
