// The demo study ships as a study file and goes through the same import as a researcher's own files.
import demoStudyText from '../../fixtures/demo/demo-study.cartography.json?raw';

export const DEMO_STUDY_TEXT: string = demoStudyText;
