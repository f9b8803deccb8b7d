/** The version the command line reports and writes as the origin of .qdc and .qdpx files. */
import { version } from '../../package.json';

export const VERSION: string = version;
export const ORIGIN = `Cartography ${VERSION}`;
