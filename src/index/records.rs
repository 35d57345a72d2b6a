//! Item records and cited article texts: blob tables read in place, each record's offsets and
//! bytes checked when the record is first read.

use super::{bad, decode, Index, ItemRecord};
use crate::error::{Error, Part};
use crate::format::Cursor;
use crate::law::Article;

impl Index {
    /// An item's name, read in place (a record starts with its code, then its name, each a
    /// postcard string: varint length, UTF-8).
    pub(crate) fn name_of(&self, id: u32) -> Result<&str, Error> {
        let bad = || bad(Part::Items);
        let bytes = self.items_bytes.blob(&self.items, id as usize)?;
        let mut c = Cursor::new(bytes, 0);
        let code_len = c.u32().ok_or_else(bad)? as usize;
        c.take(code_len).ok_or_else(bad)?;
        let name_len = c.u32().ok_or_else(bad)? as usize;
        let name = c.take(name_len).ok_or_else(bad)?;
        std::str::from_utf8(name).map_err(|_| bad())
    }

    /// Item `id`'s strings as stored (code, name, department, keywords, note, bases).
    pub fn item_record(&self, id: u32) -> Result<ItemRecord, Error> {
        self.record(id)
    }

    pub(crate) fn record(&self, id: u32) -> Result<ItemRecord, Error> {
        let bytes = self.items_bytes.blob(&self.items, id as usize)?;
        let rec: ItemRecord = decode(bytes, Part::Items)?;
        if rec
            .bases
            .iter()
            .any(|b| b.law as usize >= self.meta.laws.len())
        {
            return Err(bad(Part::Items));
        }
        Ok(rec)
    }

    /// The text of a law's article, when the catalog has it.
    pub(crate) fn article(&self, law: u16, number: u32) -> Result<Option<Article>, Error> {
        match self.meta.article_keys.binary_search(&(law, number)) {
            Ok(i) => {
                let bytes = self.articles_bytes.blob(&self.articles, i)?;
                Ok(Some(decode(bytes, Part::Articles)?))
            }
            Err(_) => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use powerlist_build::catalog::{Catalog, SourceFile, Sources};

    #[test]
    fn name_read_in_place_is_the_record_name() {
        let sources = Sources {
            items: SourceFile::new(
                "items.csv",
                "code,name,type,field,level,department,basis,keywords\n\
                 CG-CF-001,对擅自占用城市道路的行政处罚,行政处罚,城市管理,县级,县级城市管理部门,,摆摊\n\
                 X-1,名称“引号”,行政检查,城市管理,县级,部门,,\n",
            ),
            regions: None,
            assignments: None,
            bodies: None,
            laws: vec![],
        };
        let catalog = Catalog::compile(&sources).expect("valid");
        let index = crate::Index::from_bytes(
            &powerlist_build::writer::write_index(&catalog).expect("writes"),
        )
        .expect("loads");
        for id in 0..index.item_count() as u32 {
            assert_eq!(index.name_of(id).unwrap(), index.record(id).unwrap().name);
        }
    }
}
