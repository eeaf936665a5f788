/**
 * Questionnaire workbooks the import page's tests upload (HTTP and browser), written with exceljs; text of our own.
 */
import ExcelJS from 'exceljs';

/**
 * Two question sheets and a cover sheet. "Governance" has a title row above its header (row 3), official keys with
 * spaces and "&", answer-type codes; "Data" has a code the built-in table does not know (ENC); OLD-1 is a key the RFP
 * will already have; DAT-4's type comes from a Yes/No dropdown in its answer cell.
 */
export async function twoSheetWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.created = workbook.modified = new Date(Date.UTC(2026, 0, 1));
  const cover = workbook.addWorksheet('Read me');
  cover.addRow(['How to answer this questionnaire']);
  cover.addRow(['Answer every question on the other sheets.']);
  const governance = workbook.addWorksheet('Governance');
  governance.addRow(['Vendor security questionnaire']);
  governance.addRow([]);
  governance.addRow(['ID', 'Question', 'Answer type', 'Guidance']);
  governance.addRow(['GOV 1.1', 'Do you keep an inventory of your AI systems?', 'YNA', 'List every system in production.']);
  governance.addRow(['GOV 1.2', 'Describe the board that approves model changes.', 'TXT', null]);
  governance.addRow(['A&A-01.1', 'Do you review privileged access every year?', 'YNA', null]);
  governance.addRow(['OLD-1', 'Describe your incident response process.', 'TXT', 'Name who is called first.']);
  const data = workbook.addWorksheet('Data');
  data.addRow(['Ref', 'Question', 'Type']);
  data.addRow(['DAT-1', 'Where is city data stored?', 'TXT']);
  data.addRow(['DAT-2', 'Is city data encrypted at rest?', 'ENC']);
  data.addRow(['DAT-3', 'How many data centres hold city data?', 'NUM']);
  // No answer type given, but the answer cell has a Yes/No dropdown.
  data.addRow(['DAT-4', 'Do you sign a data-processing agreement?', null]);
  data.getCell('D5').dataValidation = { type: 'list', allowBlank: true, formulae: ['"Yes,No"'] };
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

